"""xAPI 1.0.3 Part Two, Appendices A, B and D: the specification's own example statements are
taken, and returned as sent apart from what the LRS sets (2.3.1.b1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from ..testkit import Api, new_id
from .conftest import statement
from .data_checks import assert_accepted

EXAMPLE = "http://www.example.com"
ANDREW = {"name": "Andrew Downes", "account": {"homePage": EXAMPLE, "name": "13936749"}}
MINUTES = "http://example.com/profiles/meetings/resultextensions/minuteslocation"
MEETING = "An example meeting that happened on a specific occasion with certain people present."
TAX_FORMS = "Filing a tax return will require filling out either a 1040, 1040A or 1040EZ form"
TEAM_PB = {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group"}

LONG_EXAMPLE: dict[str, Any] = {
    "actor": {
        **TEAM_PB,
        "member": [
            {**ANDREW, "objectType": "Agent"},
            {
                "name": "Toby Nichols",
                "openid": "http://toby.openid.example.org/",
                "objectType": "Agent",
            },
            {
                "name": "Ena Hills",
                "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9",
                "objectType": "Agent",
            },
        ],
    },
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/attended",
        "display": {"en-GB": "attended", "en-US": "attended"},
    },
    "result": {
        "extensions": {MINUTES: "X:\\meetings\\minutes\\examplemeeting.one"},
        "success": True,
        "completion": True,
        "response": "We agreed on some example actions.",
        "duration": "PT1H0M0S",
    },
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities": {
            "parent": [{"id": f"{EXAMPLE}/meetings/series/267", "objectType": "Activity"}],
            "category": [
                {
                    "id": f"{EXAMPLE}/meetings/categories/teammeeting",
                    "objectType": "Activity",
                    "definition": {
                        "name": {"en": "team meeting"},
                        "description": {
                            "en": "A category of meeting used for regular team meetings."
                        },
                        "type": "http://example.com/expapi/activities/meetingcategory",
                    },
                }
            ],
            "other": [
                {"id": f"{EXAMPLE}/meetings/occurances/34257", "objectType": "Activity"},
                {"id": f"{EXAMPLE}/meetings/occurances/3425567", "objectType": "Activity"},
            ],
        },
        "instructor": {**ANDREW, "objectType": "Agent"},
        "team": TEAM_PB,
        "platform": "Example virtual meeting software",
        "language": "tlh",
        "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
    },
    "timestamp": "2013-05-18T05:32:34.804+00:00",
    "stored": "2013-05-18T05:32:34.804+00:00",
    "authority": {
        "account": {"homePage": "http://cloud.scorm.com/", "name": "anonymous"},
        "objectType": "Agent",
    },
    "version": "1.0.0",
    "object": {
        "id": f"{EXAMPLE}/meetings/occurances/34534",
        "definition": {
            "extensions": {
                "http://example.com/profiles/meetings/activitydefinitionextensions/room": {
                    "name": "Kilby",
                    "id": "http://example.com/rooms/342",
                }
            },
            "name": {"en-GB": "example meeting", "en-US": "example meeting"},
            "description": {
                "en-GB": MEETING,
                "en-US": MEETING,
            },
            "type": "http://adlnet.gov/expapi/activities/meeting",
            "moreInfo": "http://virtualmeeting.example.com/345256",
        },
        "objectType": "Activity",
    },
}

SIGNED_EXAMPLE: dict[str, Any] = {
    "version": "1.0.0",
    "actor": {
        "mbox": "mailto:example@example.com",
        "name": "Example Learner",
        "objectType": "Agent",
    },
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/experienced",
        "display": {"en-US": "experienced"},
    },
    "object": {
        "id": "https://www.youtube.com/watch?v=xh4kIiH3Sm8",
        "objectType": "Activity",
        "definition": {
            "name": {"en-US": "Tax Tips & Information : How to File a Tax Return "},
            "description": {"en-US": TAX_FORMS},
        },
    },
    "timestamp": "2013-04-01T12:00:00Z",
}

APPENDIX_B_OBJECTS = [
    {
        "id": "http://www.example.co.uk/exampleactivity",
        "definition": {
            "name": {"en-GB": "example activity", "en-US": "example activity"},
            "description": {
                "en-GB": "An example of an activity",
                "en-US": "An example of an activity",
            },
            "type": "http://www.example.co.uk/types/exampleactivitytype",
        },
        "objectType": "Activity",
    },
    {"name": "Andrew Downes", "mbox": "mailto:andrew@example.co.uk", "objectType": "Agent"},
    {
        "name": "Example Group",
        "account": {"homePage": "http://example.com/homePage", "name": "GroupAccount"},
        "objectType": "Group",
        "member": [
            {"name": "Andrew Downes", "mbox": "mailto:andrew@example.com", "objectType": "Agent"},
            {
                "name": "Aaron Silvers",
                "openid": "http://aaron.openid.example.org",
                "objectType": "Agent",
            },
        ],
    },
    {
        "objectType": "SubStatement",
        "actor": {"objectType": "Agent", "mbox": "mailto:agent@example.com"},
        "verb": {"id": "http://example.com/confirmed", "display": {"en": "confirmed"}},
        "object": {"objectType": "StatementRef", "id": "9e13cefd-53d3-4eac-b5ed-2cf6693903bb"},
    },
]


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    "example",
    [pytest.param(LONG_EXAMPLE, id="A-long"), pytest.param(SIGNED_EXAMPLE, id="D-statement")],
)
def test_the_specifications_examples_are_taken_as_sent(lrs: Api, example: dict[str, Any]) -> None:
    """Appendix A's long example and Appendix D's statement: everything the LRS does not set
    (stored, authority: 2.4.8.s3.b2, 2.4.9.s3.b4) comes back as sent, the timestamp as the same
    instant (2.3.1.b4)."""
    sent = {**example, "id": new_id()}
    returned = assert_accepted(lrs, sent)
    assert _instant(returned["timestamp"]) == _instant(sent["timestamp"])
    for key in sent.keys() - {"stored", "authority", "timestamp"}:
        assert returned[key] == sent[key], key


def test_appendix_b_objects_are_taken(lrs: Api) -> None:
    """Appendix B: an Activity, an Agent, an identified Group with members and a SubStatement
    whose object is a Statement Reference, each as a statement's object."""
    for target in APPENDIX_B_OBJECTS:
        assert assert_accepted(lrs, statement(object=target))["object"] == target
