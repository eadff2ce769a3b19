"""The exhibition: exhibitors, their stands and staff, and the leads they capture."""
