"""Governance: directors and officers, board and stockholder action, and the procedure that every act
(issuance, designation, amendment, bylaw change) must have followed, checked against `law`."""
