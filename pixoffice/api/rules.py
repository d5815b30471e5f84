import rules

from pixoffice.accounts.rules import is_admin

# API tokens open the data of whole programmes to another application: admins only.
rules.add_perm("api.manage_tokens", is_admin)
