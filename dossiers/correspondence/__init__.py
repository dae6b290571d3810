"""Digital or paper (issue #22): communication preferences, the eBox adapter, paper
letters in print batches. See docs/OPERATIONS.md, "Letters on paper or in the eBox"."""
