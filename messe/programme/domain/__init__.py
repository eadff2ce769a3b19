"""Programme rules, the change log and the exports: pure logic, no HTTP."""
