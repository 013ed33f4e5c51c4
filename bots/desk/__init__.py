"""The review desk: a server-rendered German web application for the exception queue.

Flask with Jinja2 templates (bots.desk.webapp.create_app); every page and file behind a login;
documents reached by their id only. The actions themselves live in bots.desk.actions.
"""
