"""Who may do what, asked of the user alone: reader code can ask it without the editorial models."""


def may_edit(user) -> bool:
    """Whether the user is active staff who may change or add terms: an editor or a reviewer."""
    return user.is_active and user.is_staff and (user.has_perm("terms.change_term") or user.has_perm("terms.add_term"))
