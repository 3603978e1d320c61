# The browser set-up (Debian's Chromium, Danish locale, screenshots, console errors) is shared
# with the browser_tests package; importing the fixtures makes them available here.
from varig.browser_tests.conftest import (  # noqa: F401
    browser_context_args,
    browser_type_launch_args,
    console_errors,
    screenshot,
)
