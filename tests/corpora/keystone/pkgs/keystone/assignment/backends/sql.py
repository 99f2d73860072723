# Stub written for retort's corpus parity tests (tests/corpora_parity.rs): only
# what keystone's migrations use.


class AssignmentType:
    USER_PROJECT = "UserProject"
    GROUP_PROJECT = "GroupProject"
    USER_DOMAIN = "UserDomain"
    GROUP_DOMAIN = "GroupDomain"
