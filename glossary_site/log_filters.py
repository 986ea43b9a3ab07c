"""Logging filters the settings' LOGGING uses."""

import logging


class OneLineClientErrors(logging.Filter):
    """Log a refused request (a 4xx, such as a 403 for a missing permission) in one line, without its traceback.

    Django logs the exception behind a 403 or 400 with its traceback; it is expected, and the reason is enough.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and getattr(record, "status_code", 500) < 500:
            message, reason = record.getMessage(), str(record.exc_info[1])
            # django.security logs the exception's own text as the message (a host outside ALLOWED_HOSTS).
            if reason not in message:
                message = f"{message}: {reason}"
            record.msg, record.args = message, ()
            record.exc_info, record.exc_text = None, None
        return True
