"""ember.utils: torch.utils (data loading arrives with its issue)."""
