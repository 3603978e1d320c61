from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("varig.core.urls")),
    path("jobkunder/", include("varig.customers.urls")),
    path("virksomheder/", include("varig.employers.urls")),
    path("forloeb/", include("varig.placements.urls")),
    path("resultater/", include("varig.outcomes.urls")),
    path("advarsler/", include("varig.alerts.urls")),
    path("jubilaeer/", include("varig.placements.anniversary_urls")),
    path("indtjening/", include("varig.earnings.urls")),
    path("ringerunder/", include("varig.callrounds.urls")),
    path("revisionsspor/", include("varig.privacy.audit_urls")),
    path("privatliv/", include("varig.privacy.urls")),
    path("aktiviteter/", include("varig.activities.urls")),
    path("myndighedshjaelp/", include("varig.adminhelp.urls")),
]

if settings.VARIG_BENCH:  # the benchmark's framework floor (varig bench)
    urlpatterns.append(path("bench/", include("varig.bench.urls")))
