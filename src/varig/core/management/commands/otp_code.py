"""`varig otp_code EMAIL`: the current two-factor code of a user's authenticator app, for
logging into a development or demo database. Refused when DEBUG is off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from varig.core.models import User
from varig.core.twofactor import current_code


class Command(BaseCommand):
    help = "Print the current two-factor code of a user's authenticator app (development only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("otp_code is for development only: it needs DEBUG=1.")
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail {email}.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
        if device is None:
            raise CommandError(f"{user.email} has no authenticator app yet (set up at login).")
        self.stdout.write(current_code(device))
