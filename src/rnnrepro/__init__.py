"""rnnrepro: reproducible papers on recurrent-network dynamics."""
