"""One module per admin section; each exports ``routes`` (paths below ``/{event}/admin``)."""
