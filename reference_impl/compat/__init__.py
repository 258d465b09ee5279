"""``reference_impl.compat``: holds ``v1``, the TF1 API namespace."""
