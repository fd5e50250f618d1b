"""One router per page group, plus the JSON API."""
