-- args: downgrade -1 --sql
-- exit: 255
FAILED: downgrade with --sql requires <fromrev>:<torev>
