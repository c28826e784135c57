"""One blueprint per page family; each module's blueprint is named `bp`."""
