"""Appointments at the desk (issue #19): slots, booking, the calendar file, cancelling."""
