"""Badge logic that needs neither HTTP nor a database: tokens, layouts, fonts, rendering."""
