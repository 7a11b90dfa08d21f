"""Password rules whose messages Django's own Chinese catalog lacks.

Django 5.2 rewrote MinimumLengthValidator's error as "This password is too short. It must contain
at least %d characters." (it was %(min_length)d); the zh_Hans catalog it ships still has only the
old text, so the error showed in English in the Chinese interface while every other rule was
translated. The message here is our own source string, translated in our English catalog.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
