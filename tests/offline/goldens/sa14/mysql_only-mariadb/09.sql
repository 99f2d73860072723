-- args: upgrade 8c2d3:heads --sql --tag release-1
-- exit: 255
FAILED: Can't locate revision identified by '8c2d3'
