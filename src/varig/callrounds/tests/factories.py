import datetime

from django.utils import timezone

from varig.callrounds import services
from varig.callrounds.models import Campaign


def make_campaign(*, user, callers, **fields) -> Campaign:
    """A call-round through the service (so its call list is made as in use)."""
    fields.setdefault("name", "Corona-ringerunde")
    fields.setdefault("audience", Campaign.Audience.ASSOCIATED)
    fields.setdefault("ends_on", timezone.localdate() + datetime.timedelta(days=14))
    return services.campaign_create(user=user, callers=callers, **fields)
