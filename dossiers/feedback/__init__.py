"""What the applicant tells the municipality at the end: withdrawing an application and
rating how it went (``services``, ``forms``, ``emails``)."""
