"""A consumer of examples/llama-cpp: reads chat-client's status file, then chats through the endpoint
it names with PyPI's `openai` client, once whole and once streamed.

    python chat.py [STATUS_FILE] [--json]

STATUS_FILE defaults to chat-client.consumer.status.json next to this file. --json prints one JSON
object (reply, streamed text, chunk count) instead of text: the real-backend tests read it.
"""
import json
import os
import sys

from openai import OpenAI

args = [a for a in sys.argv[1:] if a != "--json"]
status_path = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                "chat-client.consumer.status.json")
with open(status_path) as f:
    status = json.load(f)
if not status["ready"]:
    raise SystemExit(f"not ready ({status.get('reason')}): {status['message']}")
endpoint = status["endpoint"]

# The API key is named by reference ({"env": NAME} or {"file": PATH}), never written in the file.
key_ref = endpoint["secret_headers"].get("authorization")
if key_ref is None:
    api_key = "unused"  # the server needs none; the client insists on a value
elif "env" in key_ref:
    api_key = os.environ[key_ref["env"]]
else:
    with open(key_ref["file"]) as f:
        api_key = f.read().strip()

client = OpenAI(base_url=endpoint["base_url"], api_key=api_key, default_headers=endpoint["headers"],
                max_retries=0, timeout=60)
messages = [{"role": "user", "content": "Name three colours."}]

reply = client.chat.completions.create(model=endpoint["model_identity"], messages=messages, max_tokens=24)
text = reply.choices[0].message.content or ""

chunks = []
stream = client.chat.completions.create(model=endpoint["model_identity"], messages=messages, max_tokens=24,
                                        stream=True)
for chunk in stream:
    if chunk.choices and chunk.choices[0].delta.content:
        chunks.append(chunk.choices[0].delta.content)

if "--json" in sys.argv[1:]:
    print(json.dumps({"reply": text, "finish_reason": reply.choices[0].finish_reason,
                      "streamed": "".join(chunks), "stream_chunks": len(chunks)}))
else:
    print(f"reply: {text}")
    print(f"streamed in {len(chunks)} chunks: {''.join(chunks)}")
