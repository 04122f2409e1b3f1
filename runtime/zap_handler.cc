#include "runtime/zap_handler.h"

#include <zmq.h>

#include <vector>

#include "runtime/log.h"

namespace olsgd::rt::detail {

std::string Z85Encode32(const void* key32) {
  char out[41] = {};
  if (!zmq_z85_encode(out, static_cast<const uint8_t*>(key32), 32)) return "";
  return std::string(out, 40);
}

bool IsZ85Key(const std::string& s) {
  if (s.size() != 40) return false;
  uint8_t raw[32];
  return zmq_z85_decode(raw, s.c_str()) != nullptr;
}

ZapHandler::ZapHandler(zmq::context_t& ctx, Authorize authorize)
    : ctx_(ctx), authorize_(std::move(authorize)) {}

ZapHandler::~ZapHandler() { Close(); }

Status ZapHandler::Bind() {
  try {
    sock_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::rep);
    sock_->set(zmq::sockopt::linger, 0);
    sock_->bind("inproc://zeromq.zap.01");
  } catch (const zmq::error_t& e) {
    sock_.reset();
    return Error{ErrorCode::kTransport, std::string("cannot bind the ZAP handler: ") + e.what()};
  }
  return OkStatus();
}

void ZapHandler::Close() {
  if (sock_) {
    sock_->close();
    sock_.reset();
  }
}

void ZapHandler::Serve() {
  if (!sock_) return;
  for (;;) {
    std::vector<zmq::message_t> frames;
    try {
      zmq::message_t f;
      if (!sock_->recv(f, zmq::recv_flags::dontwait)) return;
      bool more = f.more();
      frames.push_back(std::move(f));
      while (more) {
        zmq::message_t g;
        if (!sock_->recv(g, zmq::recv_flags::none)) break;
        more = g.more();
        frames.push_back(std::move(g));
      }
    } catch (const zmq::error_t& e) {
      Log().error("ZAP handler: receive failed: {}", e.what());
      return;
    }
    // RFC 27: version, request id, domain, address, identity, mechanism, credentials...
    if (frames.size() < 6) {
      // Not answerable in protocol terms; a REP must still answer.
      Reply("", false, "malformed ZAP request", "");
      refused_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    std::string request_id = frames[1].to_string();
    std::string address = frames[3].to_string();
    std::string mechanism = frames[5].to_string();
    std::string key;
    if (mechanism == "CURVE" && frames.size() >= 7 && frames[6].size() == 32)
      key = Z85Encode32(frames[6].data());
    bool ok = !key.empty() && authorize_ && authorize_(key);
    if (ok) {
      accepted_.fetch_add(1, std::memory_order_relaxed);
      Log().debug("ZAP: accepted {} key {}...", address, key.substr(0, 8));
      Reply(request_id, true, "OK", key);
      continue;
    }
    refused_.fetch_add(1, std::memory_order_relaxed);
    std::string why = mechanism != "CURVE"
                          ? "mechanism " + mechanism + " instead of CURVE"
                          : "client key " + key.substr(0, 8) + "... is not authorized";
    if (logged_.insert(address + "|" + mechanism + "|" + key).second) {
      Log().warn("refused a connection from {}: {} (missing or wrong cluster key?)", address, why);
    } else {
      Log().debug("refused a connection from {} again: {}", address, why);
    }
    Reply(request_id, false, why, "");
  }
}

void ZapHandler::Reply(const std::string& request_id, bool ok, const std::string& text,
                       const std::string& user) {
  try {
    sock_->send(zmq::str_buffer("1.0"), zmq::send_flags::sndmore);
    sock_->send(zmq::buffer(request_id), zmq::send_flags::sndmore);
    sock_->send(zmq::buffer(std::string(ok ? "200" : "400")), zmq::send_flags::sndmore);
    sock_->send(zmq::buffer(text), zmq::send_flags::sndmore);
    sock_->send(zmq::buffer(user), zmq::send_flags::sndmore);
    sock_->send(zmq::message_t(), zmq::send_flags::none);
  } catch (const zmq::error_t& e) {
    Log().error("ZAP handler: reply failed: {}", e.what());
  }
}

}  // namespace olsgd::rt::detail
