"""The three heads trained on cached backbone features, one file per network."""
