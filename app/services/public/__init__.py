"""What the public gives and sees: feedback, the accountability page, and the confidentiality of
peer and public input.
"""
