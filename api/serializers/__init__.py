"""Serializers of the API, one module per area. Where agencies and procuratorates see an object
differently there is one serializer class per audience (never one class with hidden fields):
`…InternalSerializer` for procuratorate staff, `…AgencySerializer` for the agency."""
