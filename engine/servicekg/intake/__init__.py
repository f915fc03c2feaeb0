"""The consultant's way in: an intake workbook in their language, read back as it is filled in."""

from servicekg.intake.template import write_template

__all__ = ["write_template"]
