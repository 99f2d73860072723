-- args: upgrade 7a1b2:heads --sql --tag release-1
-- exit: 255
BEGIN;

FAILED: Can't locate revision identified by '7a1b2'
