// Users, subscriber groups and OAuth client credentials of a Thales Data Protection on Demand (DPoD) tenant (Users and Credentials API 3.1.5).
package dpod
