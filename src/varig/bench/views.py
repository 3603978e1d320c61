from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def floor(request):
    """The framework floor: the whole middleware stack and a response, no database."""
    return HttpResponse("ok", content_type="text/plain")
