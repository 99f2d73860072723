-- args: upgrade nosuchrev:heads --sql
-- exit: 255
FAILED: Can't locate revision identified by 'nosuchrev'
