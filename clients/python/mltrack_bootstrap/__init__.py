"""Zero-config capture for scripts launched by ``mltrack run``.

Put THIS folder (clients/python/mltrack_bootstrap) on PYTHONPATH: its ``sitecustomize`` runs at interpreter start and
loads ``mltrack_capture`` (the helpers here are top-level modules named ``mltrack_*`` so they cannot shadow a user's).
"""
