"""DGCL rules by section group: board action (§141), meetings and votes (§§211–222), consents
(§228), charter amendments (§§241, 242), stock and its approvals (§§151, 152), bylaws (§109)."""
