"""Everything that touches moto: the patch table and switch, dispatch, routes, hooks, controls."""
