-- args: upgrade nosuchrev:heads --sql
-- exit: 255
BEGIN;

FAILED: Can't locate revision identified by 'nosuchrev'
