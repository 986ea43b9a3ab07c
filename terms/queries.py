"""The hand-written (raw SQL) readers a measurement justified, each tested against the ORM."""
