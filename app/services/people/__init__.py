"""People and their accounts: units and employees, imports, sign-in, passwords, pickers."""
