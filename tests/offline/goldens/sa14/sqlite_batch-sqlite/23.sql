-- args: upgrade 9d3e4:heads --sql --tag release-1
-- exit: 255
FAILED: Can't locate revision identified by '9d3e4'
