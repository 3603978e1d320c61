from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def daily_jobs_importable(app_configs, **kwargs):
    """Every path in VARIG_DAILY_JOBS must import to a callable (caught at deploy, not at 5am)."""
    errors = []
    for path in getattr(settings, "VARIG_DAILY_JOBS", []):
        try:
            job = import_string(path)
        except ImportError as exc:
            errors.append(Error(f"{path} cannot be imported: {exc}", id="daily.E001"))
            continue
        if not callable(job):
            errors.append(Error(f"{path} is not callable", id="daily.E002"))
    return errors
