"""``python -m miner``: the same command line as ``miner`` (:mod:`miner.cli`)."""

from miner.cli import main

if __name__ == "__main__":
    main()
