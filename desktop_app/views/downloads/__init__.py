"""Downloads in the window: the queue panel, the storage page, and lesson content for the player."""
