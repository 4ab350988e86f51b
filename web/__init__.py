"""The referral atlas, the web app `stakeholder-graph serve` runs (its own room: it reads the
data through loaders, asks queries, words answers with viz, and is started by the CLI).

    atlas.py      the data served, one graph per audience, reloaded when the files change
    accounts.py   accounts (hashed passwords), the login cookie, the limit on failed logins
    visitor.py    who is asking, in which language; the answer cache
    questions.py  request parameters -> the same query calls as the CLI's commands
    pages.py      the HTML pages (templates/, static/)
    api.py        the same answers as JSON, byte for byte the CLI's --format json
    app.py        routes and security headers
    commands.py   `serve` and `users`, listed by cli.py
"""
