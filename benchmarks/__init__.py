"""Long measurements, printed as figures and ratios; run with `make bench`, never as timed tests."""
