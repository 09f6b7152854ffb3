"""Every word the kiosk shows a visitor, in one place so a test can run them all through the checker."""

from __future__ import annotations

WELCOME_HINT = "Use the arrow keys and press Enter to choose. Press Escape at any time to start again."
MENU = [
    ("check_in", "Check in at the bar", "Join the line to see someone in person."),
    ("report", "Report a problem", "Tell us what's wrong in your own words."),
    ("status", "Check my request", "See what's happening with a request you made."),
    ("guides", "Fix it yourself", "Step-by-step guides for common problems."),
]
NOBODY_WAITING = "Nobody is waiting right now."
NOBODY_SERVED = "Nobody has been called in the last half hour."
PEOPLE_WAITING = "{count} waiting."
NOW_SERVING = "Now serving: "
ANNOUNCEMENT_KINDS = {"outage": "Service problem", "training": "Training", "notice": "Notice"}

CHECK_IN_TITLE = "Check in at the bar"
CHECK_IN_NAME = "Your name"
CHECK_IN_REASON = "A few words about the problem"
CHECK_IN_BUTTON = "Join the line"
CHECK_IN_DONE = "Thanks, {name}. You're number {place} in line."
CHECK_IN_WAIT = "We think you'll wait about {minutes} minutes. Please stay close: your name will show here."
CHECK_IN_CALLED = "It's your turn, {name}! Please come to the bar."

REPORT_TITLE = "Report a problem"
REPORT_TRYING = "What were you trying to do?"
REPORT_HAPPENED = "What happened?"
REPORT_IMPACT = "How much does it stop your work?"
REPORT_NAME = "Your name"
REPORT_CONTACT = "How can we reach you? (e-mail or phone, if you like)"
REPORT_BUTTON = "Send"
REPORT_GUIDES = "These guides might help you fix it now. Press the F2 key to open the first one."
YOU_CHOSE = "You chose: "
REPORT_DONE = "Thanks. We have your request."
REPORT_KEEP = "Please write these down or take a photo. You need both to check your request here."

STATUS_TITLE = "Check my request"
STATUS_REFERENCE = "Request number (for example #1042)"
STATUS_CODE = "Secret code"
STATUS_CODE_OR_EMAIL = "Secret code or your e-mail address"
STATUS_BUTTON = "Show my request"
STATUS_NEXT = "Next update {when}."
STATUS_NO_MESSAGES = "No messages yet."
STATUS_REPLY = "Add a reply"
STATUS_SEND = "Send reply"
STATUS_FIXED = "It's fixed now"
STATUS_RATE = "How was the help you got? 1 is poor, 5 is great."
STATUS_COMMENT = "Anything you'd like to tell us? (you can leave this empty)"
STATUS_RATE_BUTTON = "Send rating"
STATUS_THANKS = "Thank you. Your reply is saved."
STATUS_RATED = "Thank you for rating the help you got."
STATUS_FIXED_DONE = "Thank you. We've marked it as fixed."
STATUS_WAIT = "Checking. Please wait a moment."

GUIDES_TITLE = "Fix it yourself"
GUIDES_SEARCH = "Type a few words, like printer or password"
GUIDES_NONE = "No guide matches those words. Try other words, or check in at the bar."

APOLOGY = "Sorry, something went wrong. Please start again."
BACK_HINT = "Escape: start again"

ALL = [value for name, value in dict(globals()).items() if name.isupper() and name != "ALL"]
"""Every text above (menus as they are), for the plain-language test."""
