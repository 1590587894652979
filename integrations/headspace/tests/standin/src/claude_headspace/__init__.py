"""Stand-in for the Claude Headspace host package, for the integration tests.

Only what the shipped models and revision rely on: a Flask app factory, the
Flask-SQLAlchemy `db` in claude_headspace.database and the models package.
The test harness copies the shipped files into this layout exactly where a
host developer would put them.
"""

from flask import Flask

from .database import db


def create_app(database_url: str) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    db.init_app(app)
    from . import models  # noqa: F401  (registers the models, as the host does)

    return app
