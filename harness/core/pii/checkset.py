"""Writes ``harness/scorers/checks/pii.jsonl``: the labelled texts the anonymiser is measured on.

Run ``python -m tunebench.harness.core.pii.checkset`` to rewrite it. Hand-written templates in the
five domains (support chats, IT tickets, contract clauses, triage notes, security logs), English
and Italian, filled with Faker values; every filled slot is a gold span with its type. The texts
carry what real ones carry next to the PII: product and company names, cities, dates, amounts,
ticket and error numbers, versions, clause numbers, drug doses, headings. Names come from nine
Faker locales (not only the languages of the text), phones and addresses in the formats each
country writes, IBANs in upper and lower case, grouped or not. The anonymiser's code was not
written from these templates, and they are not changed to make it score.

Each row: ``{"id", "domain", "lang", "text", "spans": [{"type", "start", "end", "value"}]}``.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from faker import Faker

OUT = Path(__file__).resolve().parents[2] / "scorers" / "checks" / "pii.jsonl"
N_PER_TEMPLATE = 4
SEED = 20261207

T = {("support", "en"): [
    "Hi, this is {person}. My order #A-{n5} never arrived at {address}. You can reach me on {phone}.",
    "Customer {person} ({email}) asks for a refund of $49.99 on the Pro plan, order 2024-{n5}.",
    "Agent notes: spoke with {first} about the late delivery; promised a callback on {phone} before Friday.",
    "Please update my card to {card}, expiry 09/27. Thanks, {first}",
    "Hello, I moved to {address}. Can you change the billing address? Regards,\n{person}",
    "Ticket transferred from Tier 1. {person} says the Amazon Echo app keeps crashing on iOS 17.2.",
    "Refund approved for {person}. Bank transfer to IBAN {iban} within 5 business days.",
    "My SSN is {ssn} and my date of birth is {dob}, why do you need it for a warranty claim?",
    "Mr. {last} called twice today. He wants to speak with a manager about the Samsung TV he bought in Chicago.",
    "Chat transcript - visitor: {person}, email {email}, browser Chrome 119 on Windows 11.",
    "Dear {first},\nyour return label for the Dyson V11 is attached. Drop it at any UPS Access Point.",
    "{person} wrote on Trustpilot that Support Team B never answered; {last} has Premium since March 2022.",
  ], ("support", "it"): [
    "Buongiorno, sono {person}, il mio ordine n. {n5} non è mai arrivato in {address}. Il mio numero è {phone}.",
    "Il cliente {person} chiede il rimborso di 59,90 EUR sull'IBAN {iban}.",
    "Gentile {first}, la sua pratica è stata presa in carico dal reparto Resi di Bologna.",
    "Salve, vorrei cambiare l'indirizzo di spedizione in {address}. Grazie, {person}",
    "Note operatore: richiamare la sig.ra {last} al {phone} entro le 17:00 per la garanzia Samsung.",
    "Mi chiamo {person}, codice fiscale {cf}, e ho ricevuto un addebito doppio su carta {card}.",
    "Il signor {last} ha scritto alla mail {email} lamentando un ritardo di 14 giorni.",
    "Cordiali saluti,\n{person}\nUfficio Clienti Milano",
    "Cliente: {person} - nata il {dob} - richiede la chiusura dell'account Premium.",
    "Ciao {first}, il tecnico passerà in {address} martedì tra le 9 e le 13.",
    "Reclamo aperto da {person} per il frigorifero Whirlpool consegnato rotto a Torino.",
    "L'utente {person} ({email}) non riesce ad accedere all'app dalla versione 3.2.1.",
  ], ("it_tickets", "en"): [
    "INC{n5}: {person} cannot log in to Outlook since the Windows update KB5031356. Laptop IP {ip}.",
    "Ticket reassigned to {person} (Network team). VPN gateway {ip} drops after 30 minutes.",
    "User {email} reports SharePoint error 500 when uploading files over 100 MB.",
    "Printer on floor 3 at {address} is offline; contact {person} on {phone} ext. 214.",
    "Password reset requested by {person}. Verified with employee ID and DOB {dob}.",
    "{person} from Finance needs Adobe Acrobat Pro installed on PC-FIN-{n3}.",
    "Hi {first}, the new MacBook is ready for pickup at the IT desk, Building C.",
    "Escalated: Jira and Confluence slow for all of EMEA; reported by {person} at 09:42 UTC.",
    "Access request for {person} to the Azure subscription Prod-West, approved by {person}.",
    "Server {ip} (db-prod-02) disk at 97%. On-call: {person}, {phone}.",
    "Please reimage the laptop of {person}; Defender flagged Trojan:Win32/Wacatac on 2024-03-11.",
    "Onboarding: {person} starts Monday; mailbox {email}, desk at {address}.",
  ], ("it_tickets", "it"): [
    "Ticket {n5}: {person} non riesce ad accedere a Outlook dopo l'aggiornamento di Windows 11.",
    "Il collega {person} segnala che la stampante HP del secondo piano è offline (IP {ip}).",
    "Richiesta di reset password per l'utente {email}, autorizzata da {person}.",
    "La VPN di {person} cade ogni 20 minuti; contattarlo al {phone}.",
    "Nuovo assunto: {person}, codice fiscale {cf}, sede di {address}.",
    "Buongiorno {first}, il portatile Lenovo è pronto al banco IT dell'edificio B.",
    "Il server {ip} di produzione è al 95% di disco; reperibile {person}.",
    "Segnalazione di {person}: SAP restituisce errore 403 dalle 8:30.",
    "{person} chiede l'installazione di AutoCAD 2024 sul PC-UT-{n3}.",
    "Accesso negato a Teams per {person} dopo il cambio di ufficio in {address}.",
    "Per l'intervento in sede chiamare il dott. {last} al {phone}.",
    "Incidente chiuso da {person} alle 18:05; causa: certificato SSL scaduto su portale.intranet.",
  ], ("contracts", "en"): [
    "This Agreement is made between Acme Holdings Ltd and {person}, residing at {address}.",
    "Notices to the Supplier shall be sent to {person} at {email} or by post to {address}.",
    "Payments under Clause 7.2 shall be made to IBAN {iban} in the name of {person}.",
    "Signed on behalf of Northwind Inc. by {person}, Chief Executive Officer, on 3 May 2024.",
    "The Tenant, {person} (date of birth {dob}), agrees to pay a monthly rent of GBP 1,250.",
    "Section 12 (Confidentiality) survives termination. Contact for disputes: {person}, {phone}.",
    "Witness: {person}\nAddress: {address}",
    "The Consultant ({person}, SSN {ssn}) is an independent contractor under Article 4.",
    "Liability of either party is capped at EUR 100,000, except as stated in Schedule B.",
    "Between Globex Corporation and {person}; governing law: England and Wales.",
    "Amendment No. 2 requested by {person} on behalf of the Licensee, effective 1 January 2025.",
    "The guarantor {person} shall be reachable at {phone} and {email}.",
  ], ("contracts", "it"): [
    "Il presente contratto è stipulato tra Alfa S.p.A. e {person}, residente in {address}.",
    "Il locatore {person}, nato il {dob}, codice fiscale {cf}, concede in locazione l'immobile.",
    "I pagamenti dovranno essere effettuati sul conto IBAN {iban} intestato a {person}.",
    "Per ogni comunicazione: avv. {person}, {email}, tel. {phone}.",
    "Ai sensi dell'art. 1341 c.c. il Cliente approva le clausole 5, 7 e 9.",
    "Firmato a Roma il 12 marzo 2024 da {person} in qualità di legale rappresentante.",
    "La società Beta S.r.l., P.IVA {vat}, con sede in {address}.",
    "Il conduttore {person} si impegna a versare un canone mensile di 850 euro.",
    "Foro competente: Milano. Referente per il Fornitore: {person}.",
    "Il garante {person} (C.F. {cf}) risponde in solido delle obbligazioni del conduttore.",
    "Modifica n. 3 richiesta da {person} in data 4 aprile 2024, art. 12 del Contratto Quadro.",
    "Dichiaro di aver letto l'informativa privacy. {person}, {address}",
  ], ("triage", "en"): [
    "Patient {person}, 67, chest pain radiating to the left arm for 20 minutes. Priority: emergency.",
    "Caller {person} reports her son has a fever of 39.5 C and a rash. Callback {phone}.",
    "Triage note: {person} (DOB {dob}) took 2 g of paracetamol; advised to call 911 now.",
    "Referred by Dr. {last} at St Mary's Hospital. Allergies: penicillin.",
    "Home visit at {address} for {person}, mobility issues since the fall on Tuesday.",
    "{person} called the 111 line: sore throat for 3 days, no breathing difficulty. Self-care advised.",
    "Next of kin: {person}, {phone}. Patient confused, BP 90/60, HR 120.",
    "NHS number noted; patient {person} asks for a repeat prescription of Ramipril 5 mg.",
    "Ambulance dispatched to {address}. Patient: {person}, unconscious, breathing.",
    "Hi, I'm {first} and my dad {person} has slurred speech since this morning.",
    "Follow-up: {person} improved after salbutamol; GP appointment booked with Dr. {last}.",
    "Insurance: card {card} on file for {person}, email {email}.",
  ], ("triage", "it"): [
    "Paziente {person}, 72 anni, dolore toracico da 30 minuti. Codice rosso.",
    "La signora {person} chiama per il figlio con febbre a 39 e vomito. Richiamare al {phone}.",
    "Nota di triage: {person}, nata il {dob}, allergica ai FANS, riferisce dispnea.",
    "Inviato dal dott. {last} dell'Ospedale San Raffaele. Terapia in corso: Coumadin 5 mg.",
    "Visita domiciliare in {address} per {person}, caduta dalle scale.",
    "{person} ha chiamato il 112: il marito non risponde e respira a fatica.",
    "Contatto familiare: {person}, {phone}. Pressione 85/50, frequenza 115.",
    "Paziente {person} (CF {cf}) chiede il rinnovo della ricetta di Eutirox 50 mcg.",
    "Ambulanza inviata in {address}. Paziente: {person}, incosciente.",
    "Buonasera, sono {first}, mia madre {person} ha la bocca storta da un'ora.",
    "Controllo: {person} migliorata dopo aerosol; appuntamento con il medico di base dott.ssa {last}.",
    "Email del paziente {email}; tessera sanitaria registrata per {person}.",
  ], ("security", "en"): [
    "Failed SSH login for user {handle} from {ip} (5 attempts in 60 s), host web-01.",
    "Phishing email reported by {person}: sender {email}, subject 'Invoice overdue', link to login-micros0ft.com.",
    "Impossible travel: {person} signed in from {ip} (Lagos) and {ip} (London) within 10 minutes.",
    "CVE-2024-3400 exploitation attempt from {ip} against the GlobalProtect portal; blocked by rule 4412.",
    "DLP alert: {person} sent a spreadsheet with card numbers ({card}) to a personal address {email}.",
    "Incident IR-{n5} opened by {person}; affected asset LAPTOP-{n3}, EDR CrowdStrike Falcon.",
    "Suspicious wire request to IBAN {iban} approved by {person} after a call from {phone}.",
    "Alert: new admin account created on DC-02 by {handle} from {ip} at 03:14 UTC.",
    "Badge access denied at {address} for {person}, badge #{n5}, 22:47.",
    "Credential stuffing against /api/login from 2600 IPs; top source {ip}. Analyst on shift: {person}.",
    "Leaked credentials found on paste site for {email}; notify {person}.",
    "Vulnerability scan: OpenSSL 1.1.1k on {ip}, port 443 (severity high). Owner {person}.",
  ], ("security", "it"): [
    "Accesso SSH fallito per l'utente {handle} da {ip} (5 tentativi in 60 secondi).",
    "Email di phishing segnalata da {person}: mittente {email}, oggetto 'Fattura scaduta'.",
    "Viaggio impossibile: {person} ha effettuato l'accesso da {ip} e da Milano in 10 minuti.",
    "Tentativo di sfruttamento CVE-2023-4966 da {ip} contro il Citrix NetScaler; bloccato.",
    "Allarme DLP: {person} ha inviato un file con dati di carte ({card}) alla mail personale {email}.",
    "Incidente IR-{n5} aperto da {person}; asset coinvolto PC-AMM-{n3}.",
    "Richiesta di bonifico sospetta verso l'IBAN {iban}, autorizzata da {person} dopo una chiamata dal {phone}.",
    "Badge negato in {address} per {person} alle 23:10.",
    "Credenziali trapelate per {email}: avvisare il responsabile {person}.",
    "Nuovo account amministratore creato su DC-01 da {handle} da {ip} alle 02:51.",
    "Il SOC di Roma ha isolato il server {ip} dopo l'allarme di Microsoft Defender.",
    "Scansione: Apache 2.4.49 vulnerabile su {ip}, porta 8080, referente {person}.",
  ]}

NAME_LOCALES = {"en": ["en_US", "en_US", "en_GB", "en_GB", "en_IE", "es_ES", "de_DE", "fr_FR", "pl_PL", "it_IT"],
                "it": ["it_IT", "it_IT", "it_IT", "it_IT", "it_IT", "en_US", "de_DE", "fr_FR", "es_ES", "ro_RO"]}
PHONE_LOCALES = {"en": ["en_US", "en_GB", "en_IE", "de_DE", "fr_FR", "sv_SE", "nl_NL"],
                 "it": ["it_IT", "it_IT", "it_IT", "de_DE", "fr_FR", "en_GB", "es_ES"]}


HAND_ADDRESSES = {
    "en": ["1600 Pennsylvania Avenue NW, Washington, DC 20500", "10 Downing Street, London SW1A 2AA",
           "350 Fifth Ave, New York, NY 10118", "221B Baker St, London NW1 6XE", "1 Infinite Loop, Cupertino, CA 95014",
           "Flat 2, 14 Marchmont Road, Edinburgh EH9 1HZ", "742 Evergreen Terrace", "4059 Mt Lee Dr.",
           "12 Grafton Street, Dublin 2", "Apt 5C, 88 W 21st St, New York, NY 10011", "31 Spooner Street",
           "2 Ferry Road, Apartment 3, Cardiff CF10 5FH"],
    "it": ["Via del Corso 21, 00186 Roma", "Piazza San Marco 1, 30124 Venezia (VE)", "Corso Buenos Aires 33, Milano",
           "via Garibaldi n. 7, 10122 Torino", "Viale Europa 190/B, 50126 Firenze", "Via XX Settembre 41, Genova",
           "Piazza del Plebiscito, 1 - 80132 Napoli", "Vicolo dei Serpenti 12, int. 4",
           "Largo Augusto 3, 20122 Milano MI",
           "Via Roma 15, Palermo (PA)", "Lungotevere dei Mellini 44, Roma", "C.so Vittorio Emanuele II 120, Torino"]}


class Filler:
    """Draws the values of one text; remembers its current person for {first} and {last}."""

    def __init__(self, rng: random.Random, lang: str):
        self.rng, self.lang, self.fakers = rng, lang, {}
        self.person: tuple[str, str] | None = None

    def faker(self, locale: str) -> Faker:
        if locale not in self.fakers:
            self.fakers[locale] = Faker(locale)
            self.fakers[locale].seed_instance(self.rng.randrange(2**32))
        return self.fakers[locale]

    def new_person(self) -> tuple[str, str]:
        f = self.faker(self.rng.choice(NAME_LOCALES[self.lang]))
        first = f.first_name() if self.rng.random() > 0.15 else f"{f.first_name()} {f.first_name()}"
        self.person = (first, f.last_name())
        return self.person

    def value(self, slot: str) -> tuple[str, str | None]:
        rng = self.rng
        f = self.faker("it_IT" if self.lang == "it" else rng.choice(["en_US", "en_GB"]))
        if slot == "person":
            first, last = self.new_person()
            return (f"{first} {last}" if rng.random() > 0.1 else f"{first[0]}. {last}"), "PERSON"
        if slot == "first":
            return (self.person or self.new_person())[0], "PERSON"
        if slot == "last":
            return (self.person or self.new_person())[1], "PERSON"
        if slot == "address":
            return self.address(), "ADDRESS"
        if slot == "phone":
            return self.phone(), "PHONE"
        if slot == "email":
            return f.email(), "EMAIL"
        if slot == "iban":
            raw = self.faker(rng.choice(["it_IT", "it_IT", "de_DE", "fr_FR", "en_GB", "es_ES", "nl_NL"])).iban()
            grouped = " ".join(raw[i:i + 4] for i in range(0, len(raw), 4)) if rng.random() < 0.5 else raw
            return (grouped.lower() if rng.random() < 0.25 else grouped), "IBAN"
        if slot == "card":
            raw = f.credit_card_number(card_type=rng.choice(["visa16", "mastercard", "amex", "discover"]))
            sep = rng.choice(["", " ", "-"])
            return (sep.join(raw[i:i + 4] for i in range(0, len(raw), 4)) if sep else raw), "CARD"
        if slot == "cf":
            cf = self.faker("it_IT").ssn()
            return (cf.lower() if rng.random() < 0.15 else cf), "FISCAL_CODE"
        if slot == "vat":
            return self.faker("it_IT").company_vat().removeprefix("IT"), "NATIONAL_ID"
        if slot == "ssn":
            return (self.faker("en_US").ssn() if rng.random() < 0.6 else self.nino()), "NATIONAL_ID"
        if slot == "ip":
            return (f.ipv4_public() if rng.random() < 0.75 else f.ipv6()), "IP"
        if slot == "dob":
            d = f.date_of_birth(minimum_age=1, maximum_age=95)
            return d.strftime(rng.choice(["%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%B %d, %Y" if self.lang == "en"
                                          else "%d/%m/%y"])), "DATE_OF_BIRTH"
        if slot == "handle":
            first, last = self.new_person()
            return rng.choice([f"{first[0]}{last}", f"{first}.{last}", "admin", "svc_backup"]).lower(), None
        if slot in ("n3", "n5"):
            return str(rng.randrange(10 ** (int(slot[1]) - 1), 10 ** int(slot[1]))), None
        raise KeyError(slot)

    def address(self) -> str:
        rng = self.rng
        if rng.random() < 0.25:  # written by hand, not by Faker: real streets in the formats people use
            return rng.choice(HAND_ADDRESSES[self.lang])
        if self.lang == "it" and rng.random() < 0.85:
            f = self.faker("it_IT")
            street = f.street_address()
            return street if rng.random() < 0.5 else f"{street}, {f.postcode()} {f.city()} ({f.state_abbr()})"
        locale = rng.choice(["en_US", "en_US", "en_GB", "en_IE"])
        f = self.faker(locale)
        street = f.street_address().replace("\n", ", ")
        if rng.random() < 0.5:
            return street
        if locale == "en_US":
            return f"{street}, {f.city()}, {f.state_abbr()} {f.postcode()}"
        return f"{street}, {f.city()} {f.postcode()}"

    def nino(self) -> str:
        """A UK National Insurance number of a valid shape (Faker's all start with the unused "ZZ")."""
        rng = self.rng
        prefix = rng.choice("ABCEGHJKLMNPRSTWXYZ") + rng.choice("ABCEGHJKLMNPRSTWXYZ")
        digits = "".join(str(rng.randrange(10)) for _ in range(6))
        suffix = rng.choice("ABCD")
        return rng.choice([f"{prefix}{digits}{suffix}", f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"])

    def phone(self) -> str:
        rng = self.rng
        style = rng.random()
        if style < 0.6:
            return self.faker(rng.choice(PHONE_LOCALES[self.lang])).phone_number()
        d = "".join(str(rng.randrange(10)) for _ in range(10))
        if style < 0.8:  # spaced groupings as people type them in Italy, Belgium, Sweden, France
            return rng.choice([f"0{d[1:4]} {d[4:6]} {d[6:8]} {d[8:]}", f"+39 0{d[1]} {d[2:6]} {d[6:]}",
                               f"+46 (0)8 {d[:3]} {d[3:5]} {d[5:7]}",
                               f"+33 {d[0] or 1} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:9]}",
                               f"0039 3{d[1:3]} {d[3:6]} {d[6:]}"])
        return f"3{d[1:3]} {d[3:6]} {d[6:]}"


def build() -> list[dict]:
    rng, rows = random.Random(SEED), []
    for (domain, lang), templates in T.items():
        for t_index, template in enumerate(templates):
            for k in range(N_PER_TEMPLATE):
                filler = Filler(rng, lang)
                text, spans, pos = "", [], 0
                for m in re.finditer(r"\{(\w+)\}", template):
                    text += template[pos:m.start()]
                    value, kind = filler.value(m.group(1))
                    if kind:
                        spans.append({"type": kind, "start": len(text), "end": len(text) + len(value), "value": value})
                    text += value
                    pos = m.end()
                text += template[pos:]
                rows.append({"id": f"{domain}-{lang}-{t_index:02d}-{k}", "domain": domain, "lang": lang,
                             "text": text, "spans": spans})
    return rows


def main() -> None:
    rows = build()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} texts, {sum(len(r['spans']) for r in rows)} spans -> {OUT}")


if __name__ == "__main__":
    main()
