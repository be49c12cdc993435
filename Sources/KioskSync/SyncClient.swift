// The kiosk's client of the central server (Open311 push, feed pull, heartbeat, ticket status).
import KioskCore
import KioskProtocol
