-- One deposit per request, unique command id per request, 1000 sub-accounts.
counter = 0
local thread_id = 0
function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
function init(args)
  counter = 0
end
request = function()
  counter = counter + 1
  local i = counter % 1000
  local body = string.format('{"accountId":"load-%d","subaccountId":"load-%d-main","asset":"USDC","amount":"1","commandId":"w%d-%d"}', i, i, tid, counter)
  return wrk.format("POST", "/v1/deposits", nil, body)
end
