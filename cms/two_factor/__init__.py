"""Two-factor authentication for the Wagtail admin (officers, editors, administrators).

After Wagtail's own password login, a person who can use the admin proves that they hold
their phone: they type the six-digit code of an authenticator app (TOTP, RFC 6238:
``django_otp.plugins.otp_totp``) or one of ten single-use backup codes
(``django_otp.plugins.otp_static``). django-otp's ``OTPMiddleware`` remembers in the
session which device verified it (``request.user.is_verified()``);
:class:`~cms.two_factor.middleware.TwoFactorMiddleware` serves no admin page to a session
that still has to pass this step.

``LOKET_ADMIN_2FA_REQUIRED`` (on in production) switches it on: whoever has no
authenticator app yet sets one up right after the password. Off (the demo, development)
means nobody is asked; apps set up earlier are kept for when it is switched on again.

Applicants (Mijn loket) are not Django users and never see any of this.

- :mod:`.services`: the use cases (set up, check a code, backup codes, reset).
- :mod:`.middleware`: where the admin sends a session that still needs a code.
- :mod:`.views`: the pages of the person signing in and of their account.
- :mod:`.users`: the administrators' overview and reset.
- ``manage.py reset_two_factor <username>``: the reset for operators.
"""
