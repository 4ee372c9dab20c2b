"""Event builders for the small domains and the telephony and device streams: user,
invitation, phone, dialplan, fax, announcement, box, SIP, calls and sensors."""

from __future__ import annotations

from typing import Any

from ._session import ACTIONS_PER_SENSOR, CALL_STEPS, ME, SIP_ACCOUNTS, Base, Event


class DeviceEvents(Base):
    # -- user, invitation, phone, dialplan ------------------------------------------------------

    def _user_modify(self) -> Event:
        return "user_modify", {}

    def _phone_modify(self) -> Event:
        return "phone_modify", {}

    def _dialplan_modify(self) -> Event:
        return "dialplan_modify", {}

    def _invitation_new(self) -> Event:
        pair = (
            (ME, self.pick(self.users)) if self.rng.random() < 0.5 else (self.pick(self.users), ME)
        )
        if pair not in self.s.invitations:
            self.s.invitations.append(pair)
        return "invitation_new", {"owner": pair[0], "user": pair[1]}

    def _invitation_delete(self) -> Event:
        if not self.s.invitations:
            return self._invitation_new()
        owner, user = self.s.invitations.pop(int(self.rng.random() * len(self.s.invitations)))
        return "invitation_delete", {"owner": owner, "user": user}

    def _dialplan_callreverse_start(self) -> Event:
        pair = (self.pick(self.phones), self.pick(self.phones[:3]))
        if pair not in self.s.callreverse:
            self.s.callreverse.append(pair)
        return "dialplan_callreverse_start", {"phone_from": pair[0], "phone_to": pair[1]}

    def _dialplan_callreverse_stop(self) -> Event:
        if not self.s.callreverse:
            return self._dialplan_callreverse_start()
        phone_from, phone_to = self.s.callreverse.pop(0)
        return "dialplan_callreverse_stop", {"phone_from": phone_from, "phone_to": phone_to}

    # -- fax, announcement, box, sip ------------------------------------------------------------

    def _fax_convert(self) -> Event:
        event: dict[str, Any] = {"fax": self.pick(self.faxes)}
        if self.rng.random() < 0.9:
            event["page_count"] = self.rng.randint(1, 24)
        return "fax_convert", event

    def _fax_report(self, fax: str | None = None, report_uuid: str | None = None) -> Event:
        fax = fax or self.pick(self.faxes)
        report_uuid = report_uuid or self.pick(self.report_uuids[fax])
        start = self.time - self.rng.randint(0, 600)
        report: dict[str, Any] = {
            "incoming": self.rng.random() < 0.4,
            "from": self.pick(self.phones),
            "to": self.pick(self.phones),
            "time_start": start,
        }
        if self.rng.random() < 0.6:
            report.update(
                time_end=self.time,
                status=self.pick(("ok", "ok", "ok", "busy", "failed")),
                sip_status_code=200,
                fax_error_code=0,
            )
        else:
            report["status"] = "sending"
        return "fax_report", {"fax": fax, "report": {report_uuid: report}}

    def _announcement_convert(self) -> Event:
        event: dict[str, Any] = {"announcement": self.pick(self.announcements)}
        if self.rng.random() < 0.9:
            event["success"] = True
        return "announcement_convert", event

    def _box_event(self, online: bool) -> Event:
        box = self.pick(self.boxes)
        header = {
            "box": box,
            "owner": ME,
            "description": f"box {self.boxes.index(box) + 1} in office {box[:4]}",
        }
        if not online:
            return "box_offline", header
        device = {
            "ip_addr": f"10.20.{self.rng.randint(0, 9)}.{self.rng.randint(2, 254)}",
            "mac_addr": "00:24:d6:" + box[:6].replace("-", "0").upper(),
            "sw_version": f"1.{self.rng.randint(0, 9)}",
            "hw_version": "X86",
        }
        return "box_online", {**header, **device}

    def _box_online(self) -> Event:
        return self._box_event(True)

    def _box_offline(self) -> Event:
        return self._box_event(False)

    def _sip_account(self) -> tuple[str, str]:
        user, domain = self.pick(list(self.s.sip)).split("@")
        return user, domain

    def _sip_new(self) -> Event:
        if len(self.s.sip) >= SIP_ACCOUNTS:
            return self._sip_delete()
        user = f"{self.words.first_name().lower()}_{self.rng.randint(1, 99):02d}"
        self.s.sip.setdefault(f"{user}@cospace.de", {})
        return "sip_new", {"user": user, "domain": "cospace.de", "description": self.words.device()}

    def _sip_modify(self) -> Event:
        if not self.s.sip:
            return self._sip_new()
        user, domain = self._sip_account()
        return "sip_modify", {"user": user, "domain": domain, "description": self.words.device()}

    def _sip_delete(self) -> Event:
        if not self.s.sip:
            return self._sip_new()
        user, domain = self._sip_account()
        del self.s.sip[f"{user}@{domain}"]
        return "sip_delete", {"user": user, "domain": domain}

    def _sip_register(self) -> Event:
        if not self.s.sip:
            return self._sip_new()
        user, domain = self._sip_account()
        contact = f"10.20.0.{self.rng.randint(10, 13)}:5060"
        expire = self.time + self.rng.randint(600, 3600)
        self.s.sip[f"{user}@{domain}"][contact] = expire
        return "sip_register", {
            "user": user,
            "domain": domain,
            "contact": contact,
            "expire": expire,
        }

    def _sip_unregister(self) -> Event:
        registered = [key for key, contacts in self.s.sip.items() if contacts]
        if not registered:
            return self._sip_register()
        key = self.pick(registered)
        contact = self.pick(list(self.s.sip[key]))
        del self.s.sip[key][contact]
        user, domain = key.split("@")
        return "sip_unregister", {"user": user, "domain": domain, "contact": contact}

    # -- calls and sensors ----------------------------------------------------------------------

    def _call_fields(self, step: str) -> dict[str, Any]:
        if step == "answered":
            return {"answer_time": self.time, "status": "answered"}
        if step in ("control", "released"):
            return {
                "current_control": self.pick(("ivr", "record", "announcement"))
                if step == "control"
                else ""
            }
        if step in ("bridged", "unbridged"):
            return {"bridge": self.pick(self.s.calls)[0] if step == "bridged" else ""}
        return {"status": step}

    def _call_update(self) -> Event:
        calls: dict[str, Any] = {}
        for _ in range(1 + (self.rng.random() < 0.5)):
            slot = self.pick(self.s.calls)
            calls[slot[0]] = self._call_fields(CALL_STEPS[slot[1]])
            slot[1] = (slot[1] + 1) % len(CALL_STEPS)
        return "call_update", {"call": calls}

    def _call_dtmf(self) -> Event:
        call = self.pick(self.s.calls)[0]
        digit = self.pick("0123456789*#")
        return "call_dtmf", {"call": call, "digit": digit, "duration": self.rng.randint(60, 250)}

    def _sensor_data(self, sensor: str | None = None, count: int = 1) -> Event:
        sensor = sensor or self.pick(self.sensors)
        data: dict[str, Any] = {}
        for _ in range(count):
            slot = self.s.sensor_ring.get(sensor, 0)
            self.s.sensor_ring[sensor] = (slot + 1) % self.ring
            reading = round(18 + 8 * self.rng.random(), 1)
            data[str(self.base_ms[sensor] + slot * 60_000)] = [reading, [0, 255]]
        return "sensor_data", {"sensor": sensor, "data": data}

    def _sensor_action(self, sensor: str | None = None) -> Event:
        sensor = sensor or self.pick(self.sensors)
        slot = self.s.action_ring.get(sensor, 0)
        self.s.action_ring[sensor] = (slot + 1) % ACTIONS_PER_SENSOR
        action = {str(self.base_ms[sensor] + slot * 1_000 + 500): [1, None]}
        status = "ok" if self.rng.random() < 0.9 else "replaced"
        uuid = self.action_uuids[sensor][slot]
        return "sensor_action", {
            "status": status,
            "sensor": sensor,
            "action": action,
            "action-uuid": uuid,
        }
