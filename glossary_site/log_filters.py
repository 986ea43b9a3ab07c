"""Logging filters the settings' LOGGING uses."""

import logging


class OneLineClientErrors(logging.Filter):
    """Log a refused request (a 4xx, such as a 403 for a missing permission) in one line, without its traceback.

    Django logs the exception behind a 403 or 400 with its traceback; it is expected, and the reason is enough.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and getattr(record, "status_code", 500) < 500:
            reason = str(record.exc_info[1])
            record.msg, record.args = record.getMessage() + (f": {reason}" if reason else ""), ()
            record.exc_info, record.exc_text = None, None
        return True
