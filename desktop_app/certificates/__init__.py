"""Course certificates: kept per account, verified offline (see wallet.py and token.py)."""
